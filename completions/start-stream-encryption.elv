
use builtin;
use str;

set edit:completion:arg-completer[start-stream-encryption] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'start-stream-encryption'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'start-stream-encryption'= {
            cand --stream-name 'The name of the stream for which to start encrypting records'
            cand --encryption-type 'The encryption type to use: KMS (NONE is for stop-stream-encryption)'
            cand --key-id 'The KMS key: a key ID, a key or alias ARN, or an alias name such as alias/aws/kinesis (the key owned by Kinesis Data Streams)'
            cand --stream-arn 'The ARN of the stream'
            cand --stream-id 'Not implemented by the service; reserved for future use'
            cand --cli-input-json 'Reads arguments from a JSON document (inline or `file://PATH`)'
            cand --cli-input-yaml 'Reads arguments from a YAML document (inline or `file://PATH`)'
            cand --generate-cli-skeleton 'Prints a template and sends nothing'
            cand --stream-names-from 'The streams named in a file, one a line (`-`: standard input)'
            cand --max-concurrency 'At most N calls in flight at once, 1 to 256 (fleet mode; default 4)'
            cand --max-rate 'At most N calls a second of each operation, 1 to 1000 (fleet mode)'
            cand --regions 'The regions to cover, comma-separated (fleet mode)'
            cand --apply-plan 'Start exactly what a --dry-run planned: its WouldStart and WouldStartSource entries (fleet mode)'
            cand --profiles 'Each named profile of the config files is one account (fleet mode)'
            cand --accounts-file 'The accounts of a c7n-org accounts.yml (fleet mode)'
            cand --role-name 'The role --organization assumes in each account (default OrganizationAccountAccessRole)'
            cand --external-id 'The external id passed to every AssumeRole of --organization (and of --apply-plan)'
            cand --accounts 'Keep only these accounts, by ID or name (fleet mode)'
            cand --exclude-accounts 'Leave out these accounts, by ID or name (fleet mode)'
            cand --account-tags 'Keep the accounts of --accounts-file carrying every key:value listed'
            cand --report 'Also write the result as FORMAT to PATH: junit, asff or ocsf (repeatable; fleet mode)'
            cand --wait-timeout 'Give up waiting after this long (500ms, 5s, 2m, or seconds such as 0.5; at most 7 days)'
            cand --wait-interval 'Delay before the first status poll; later delays back off up to 15s'
            cand --region 'The region to use. Overrides AWS_REGION, AWS_DEFAULT_REGION and the profile''s `region`'
            cand --profile 'Use a specific profile from your credential and config files'
            cand --endpoint-url 'Override the service endpoint with the given URL (http:// or https://)'
            cand --output 'The formatting style for command output (with --wait)'
            cand --query 'A JMESPath query to filter the output (with --wait)'
            cand --color 'Turn on or off colour output'
            cand --ca-bundle 'The CA certificate bundle (PEM) to use when verifying SSL certificates'
            cand --cli-read-timeout 'Maximum socket read time in seconds, up to 604800 (7 days); 0 waits forever. Default 60'
            cand --cli-connect-timeout 'Maximum socket connect time in seconds, up to 604800 (7 days); 0 waits forever. Default 60'
            cand --cli-error-format 'How errors are printed on stderr: json and yaml give {"Code": …, "Message": …} for scripts'
            cand --all-streams 'Every data stream of the region (ListStreams, all pages)'
            cand --dry-run 'Describe only: send no start call, and report what would change'
            cand --organization 'Every ACTIVE account of your AWS Organization (fleet mode)'
            cand --debug 'Turn on debug logging of the SDK''s request and response on stderr'
            cand --no-sign-request 'Do not sign requests: no credentials are looked up'
            cand --no-verify-ssl 'Do not verify SSL certificates (a warning is printed). Overrides --ca-bundle'
            cand --no-paginate 'Accepted for compatibility; this operation has nothing to paginate'
            cand --no-cli-pager 'Accepted for compatibility; output is never paged'
            cand --wait 'After the call, wait until the stream is ACTIVE and encrypted with the requested key (exit 0), then print its state'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
