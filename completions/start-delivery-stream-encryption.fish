complete -c start-delivery-stream-encryption -l delivery-stream-name -d 'The name of the Firehose stream for which you want to enable server-side encryption (SSE)' -r
complete -c start-delivery-stream-encryption -l delivery-stream-encryption-configuration-input -d 'The type and ARN of the KMS key for server-side encryption (SSE)' -r
complete -c start-delivery-stream-encryption -l cli-input-yaml -d 'Reads arguments from a YAML document (inline or `file://PATH`)' -r
complete -c start-delivery-stream-encryption -l generate-cli-skeleton -d 'Prints a template and sends nothing' -r -f -a "input\t'A JSON request template'
output\t'The operation\'s output template (empty for this operation)'
yaml-input\t'A commented YAML request template'"
complete -c start-delivery-stream-encryption -l delivery-stream-names-from -d 'The streams named in a file, one a line (`-`: standard input)' -r
complete -c start-delivery-stream-encryption -l max-concurrency -d 'At most N calls in flight at once, 1 to 256 (fleet mode; default 4)' -r
complete -c start-delivery-stream-encryption -l max-rate -d 'At most N calls a second of each operation, 1 to 1000 (fleet mode)' -r
complete -c start-delivery-stream-encryption -l regions -d 'The regions to cover, comma-separated (fleet mode)' -r
complete -c start-delivery-stream-encryption -l apply-plan -d 'Start exactly what a --dry-run planned: its WouldStart and WouldStartSource entries (fleet mode)' -r
complete -c start-delivery-stream-encryption -l profiles -d 'Each named profile of the config files is one account (fleet mode)' -r
complete -c start-delivery-stream-encryption -l accounts-file -d 'The accounts of a c7n-org accounts.yml (fleet mode)' -r
complete -c start-delivery-stream-encryption -l role-name -d 'The role --organization assumes in each account (default OrganizationAccountAccessRole)' -r
complete -c start-delivery-stream-encryption -l external-id -d 'The external id passed to every AssumeRole of --organization (and of --apply-plan)' -r
complete -c start-delivery-stream-encryption -l accounts -d 'Keep only these accounts, by ID or name (fleet mode)' -r
complete -c start-delivery-stream-encryption -l exclude-accounts -d 'Leave out these accounts, by ID or name (fleet mode)' -r
complete -c start-delivery-stream-encryption -l account-tags -d 'Keep the accounts of --accounts-file carrying every key:value listed' -r
complete -c start-delivery-stream-encryption -l report -d 'Also write the result as FORMAT to PATH: junit, asff or ocsf (repeatable; fleet mode)' -r
complete -c start-delivery-stream-encryption -l wait-timeout -d 'Give up waiting after this long (500ms, 5s, 2m, or seconds such as 0.5; at most 7 days)' -r
complete -c start-delivery-stream-encryption -l wait-interval -d 'Delay before the first status poll; later delays back off up to 15s' -r
complete -c start-delivery-stream-encryption -l region -d 'The region to use. Overrides AWS_REGION, AWS_DEFAULT_REGION and the profile\'s `region`' -r
complete -c start-delivery-stream-encryption -l profile -d 'Use a specific profile from your credential and config files' -r
complete -c start-delivery-stream-encryption -l endpoint-url -d 'Override the service endpoint with the given URL (http:// or https://)' -r
complete -c start-delivery-stream-encryption -l output -d 'The formatting style for command output (with --wait)' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''
off\t''"
complete -c start-delivery-stream-encryption -l query -d 'A JMESPath query to filter the output (with --wait)' -r
complete -c start-delivery-stream-encryption -l color -d 'Turn on or off colour output' -r -f -a "on\t'Always'
off\t'Never'
auto\t'When stdout is a terminal and NO_COLOR is not set'"
complete -c start-delivery-stream-encryption -l ca-bundle -d 'The CA certificate bundle (PEM) to use when verifying SSL certificates' -r
complete -c start-delivery-stream-encryption -l cli-read-timeout -d 'Maximum socket read time in seconds, up to 604800 (7 days); 0 waits forever. Default 60' -r
complete -c start-delivery-stream-encryption -l cli-connect-timeout -d 'Maximum socket connect time in seconds, up to 604800 (7 days); 0 waits forever. Default 60' -r
complete -c start-delivery-stream-encryption -l cli-error-format -d 'How errors are printed on stderr: json and yaml give {"Code": …, "Message": …} for scripts' -r -f -a "legacy\t'`aws: [ERROR]: <message>` with the bare message'
enhanced\t'`aws: [ERROR]: An error occurred (<Code>): <message>` (the default)'
json\t'`{"Code": …, "Message": …}` as JSON'
yaml\t'The same fields as YAML'
text\t'The same fields as text'
table\t'The same fields as a table'"
complete -c start-delivery-stream-encryption -l cli-input-json -d 'Reads arguments from a JSON document (inline or `file://PATH`)' -r
complete -c start-delivery-stream-encryption -l all-delivery-streams -d 'Every delivery stream of the region (ListDeliveryStreams, all pages)'
complete -c start-delivery-stream-encryption -l encrypt-kinesis-sources -d 'Protect a stream fed by a Kinesis data stream by encrypting that source'
complete -c start-delivery-stream-encryption -l dry-run -d 'Describe only: send no start call, and report what would change'
complete -c start-delivery-stream-encryption -l organization -d 'Every ACTIVE account of your AWS Organization (fleet mode)'
complete -c start-delivery-stream-encryption -l debug -d 'Turn on debug logging of the SDK\'s request and response on stderr'
complete -c start-delivery-stream-encryption -l no-sign-request -d 'Do not sign requests: no credentials are looked up'
complete -c start-delivery-stream-encryption -l no-verify-ssl -d 'Do not verify SSL certificates (a warning is printed). Overrides --ca-bundle'
complete -c start-delivery-stream-encryption -l no-paginate -d 'Accepted for compatibility; this operation has nothing to paginate'
complete -c start-delivery-stream-encryption -l no-cli-pager -d 'Accepted for compatibility; output is never paged'
complete -c start-delivery-stream-encryption -l wait -d 'After the call, wait until the encryption is ENABLED (exit 0) or ENABLING_FAILED (exit 255), then print the final state'
complete -c start-delivery-stream-encryption -s h -l help -d 'Print help (see more with \'--help\')'
complete -c start-delivery-stream-encryption -s V -l version -d 'Print version'
