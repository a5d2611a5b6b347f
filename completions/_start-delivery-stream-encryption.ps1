
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'start-delivery-stream-encryption' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'start-delivery-stream-encryption'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'start-delivery-stream-encryption' {
            [CompletionResult]::new('--delivery-stream-name', '--delivery-stream-name', [CompletionResultType]::ParameterName, 'The name of the Firehose stream for which you want to enable server-side encryption (SSE)')
            [CompletionResult]::new('--delivery-stream-encryption-configuration-input', '--delivery-stream-encryption-configuration-input', [CompletionResultType]::ParameterName, 'The type and ARN of the KMS key for server-side encryption (SSE)')
            [CompletionResult]::new('--cli-input-yaml', '--cli-input-yaml', [CompletionResultType]::ParameterName, 'Reads arguments from a YAML document (inline or `file://PATH`)')
            [CompletionResult]::new('--generate-cli-skeleton', '--generate-cli-skeleton', [CompletionResultType]::ParameterName, 'Prints a template and sends nothing')
            [CompletionResult]::new('--delivery-stream-names-from', '--delivery-stream-names-from', [CompletionResultType]::ParameterName, 'The streams named in a file, one a line (`-`: standard input)')
            [CompletionResult]::new('--max-concurrency', '--max-concurrency', [CompletionResultType]::ParameterName, 'At most N calls in flight at once, 1 to 256 (fleet mode; default 4)')
            [CompletionResult]::new('--max-rate', '--max-rate', [CompletionResultType]::ParameterName, 'At most N calls a second of each operation, 1 to 1000 (fleet mode)')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'The regions to cover, comma-separated (fleet mode)')
            [CompletionResult]::new('--apply-plan', '--apply-plan', [CompletionResultType]::ParameterName, 'Start exactly what a --dry-run planned: its WouldStart and WouldStartSource entries (fleet mode)')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Each named profile of the config files is one account (fleet mode)')
            [CompletionResult]::new('--accounts-file', '--accounts-file', [CompletionResultType]::ParameterName, 'The accounts of a c7n-org accounts.yml (fleet mode)')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role --organization assumes in each account (default OrganizationAccountAccessRole)')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id passed to every AssumeRole of --organization (and of --apply-plan)')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Keep only these accounts, by ID or name (fleet mode)')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave out these accounts, by ID or name (fleet mode)')
            [CompletionResult]::new('--account-tags', '--account-tags', [CompletionResultType]::ParameterName, 'Keep the accounts of --accounts-file carrying every key:value listed')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write the result as FORMAT to PATH: junit, asff or ocsf (repeatable; fleet mode)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'Give up waiting after this long (500ms, 5s, 2m, or seconds such as 0.5; at most 7 days)')
            [CompletionResult]::new('--wait-interval', '--wait-interval', [CompletionResultType]::ParameterName, 'Delay before the first status poll; later delays back off up to 15s')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region to use. Overrides AWS_REGION, AWS_DEFAULT_REGION and the profile''s `region`')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use a specific profile from your credential and config files')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Override the service endpoint with the given URL (http:// or https://)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The formatting style for command output (with --wait)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A JMESPath query to filter the output (with --wait)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Turn on or off colour output')
            [CompletionResult]::new('--ca-bundle', '--ca-bundle', [CompletionResultType]::ParameterName, 'The CA certificate bundle (PEM) to use when verifying SSL certificates')
            [CompletionResult]::new('--cli-read-timeout', '--cli-read-timeout', [CompletionResultType]::ParameterName, 'Maximum socket read time in seconds, up to 604800 (7 days); 0 waits forever. Default 60')
            [CompletionResult]::new('--cli-connect-timeout', '--cli-connect-timeout', [CompletionResultType]::ParameterName, 'Maximum socket connect time in seconds, up to 604800 (7 days); 0 waits forever. Default 60')
            [CompletionResult]::new('--cli-error-format', '--cli-error-format', [CompletionResultType]::ParameterName, 'How errors are printed on stderr: json and yaml give {"Code": …, "Message": …} for scripts')
            [CompletionResult]::new('--cli-input-json', '--cli-input-json', [CompletionResultType]::ParameterName, 'Reads arguments from a JSON document (inline or `file://PATH`)')
            [CompletionResult]::new('--all-delivery-streams', '--all-delivery-streams', [CompletionResultType]::ParameterName, 'Every delivery stream of the region (ListDeliveryStreams, all pages)')
            [CompletionResult]::new('--encrypt-kinesis-sources', '--encrypt-kinesis-sources', [CompletionResultType]::ParameterName, 'Protect a stream fed by a Kinesis data stream by encrypting that source')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Describe only: send no start call, and report what would change')
            [CompletionResult]::new('--organization', '--organization', [CompletionResultType]::ParameterName, 'Every ACTIVE account of your AWS Organization (fleet mode)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Turn on debug logging of the SDK''s request and response on stderr')
            [CompletionResult]::new('--no-sign-request', '--no-sign-request', [CompletionResultType]::ParameterName, 'Do not sign requests: no credentials are looked up')
            [CompletionResult]::new('--no-verify-ssl', '--no-verify-ssl', [CompletionResultType]::ParameterName, 'Do not verify SSL certificates (a warning is printed). Overrides --ca-bundle')
            [CompletionResult]::new('--no-paginate', '--no-paginate', [CompletionResultType]::ParameterName, 'Accepted for compatibility; this operation has nothing to paginate')
            [CompletionResult]::new('--no-cli-pager', '--no-cli-pager', [CompletionResultType]::ParameterName, 'Accepted for compatibility; output is never paged')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'After the call, wait until the encryption is ENABLED (exit 0) or ENABLING_FAILED (exit 255), then print the final state')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
