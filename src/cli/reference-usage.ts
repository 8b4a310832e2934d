/**
 * The help texts the reference whisper-* scripts print on stdout when they refuse their
 * arguments. Compatibility mode (GPH_COMPAT=whisper) prints them where the scripts do.
 */
const EXAMPLES = `timePerPoint and timeToStore specify lengths of time, for example:

60:1440      60 seconds per datapoint, 1440 datapoints = 1 day of retention
15m:8        15 minutes per datapoint, 8 datapoints = 2 hours of retention
1h:7d        1 hour per datapoint, 7 days of retention
12h:2y       12 hours per datapoint, 2 years of retention
`;

export const REFERENCE_USAGE: Record<string, string> = {
  'whisper-info': `Usage: whisper-info [options] path [field]

Options:
  -h, --help  show this help message and exit
  --json      Output results in JSON form
`,
  'whisper-create': `Usage: whisper-create path timePerPoint:timeToStore [timePerPoint:timeToStore]*
whisper-create --estimate timePerPoint:timeToStore [timePerPoint:timeToStore]*

${EXAMPLES}

Options:
  -h, --help            show this help message and exit
  --xFilesFactor=XFILESFACTOR
  --aggregationMethod=AGGREGATIONMETHOD
                        Function to use when aggregating values (average, sum,
                        last, max, min, avg_zero, absmax, absmin)
  --overwrite           
  --estimate            Don't create a whisper file, estimate storage
                        requirements based on archive definitions
  --sparse              Create new whisper as sparse file
  --fallocate           Create new whisper and use fallocate
`,
  'whisper-resize': `Usage: whisper-resize path timePerPoint:timeToStore [timePerPoint:timeToStore]*

${EXAMPLES}

Options:
  -h, --help            show this help message and exit
  --xFilesFactor=XFILESFACTOR
                        Change the xFilesFactor
  --aggregationMethod=AGGREGATIONMETHOD
                        Change the aggregation function (average, sum, last,
                        max, min, avg_zero, absmax, absmin)
  --force               Perform a destructive change
  --newfile=NEWFILE     Create a new database file without removing the
                        existing one
  --nobackup            Delete the .bak file after successful execution
  --aggregate           Try to aggregate the values to fit the new archive
                        better. Note that this will make things slower and use
                        more memory.
`,
  'whisper-set-aggregation-method': `Usage: whisper-set-aggregation-method path <average|sum|last|max|min|avg_zero|absmax|absmin> [xFilesFactor]

Options:
  -h, --help  show this help message and exit
`,
  'whisper-set-xfilesfactor': `usage: whisper-set-xfilesfactor [-h] path xFilesFactor

Set xFilesFactor for existing whisper file

positional arguments:
  path          path to whisper file
  xFilesFactor  new xFilesFactor, a float between 0 and 1

options:
  -h, --help    show this help message and exit
`,
  'whisper-fetch': `Usage: whisper-fetch [options] path

Options:
  -h, --help            show this help message and exit
  --from=_FROM          Unix epoch time of the beginning of your requested
                        interval (default: 24 hours ago)
  --until=UNTIL         Unix epoch time of the end of your requested interval
                        (default: now)
  --json                Output results in JSON format
  --pretty              Show human-readable timestamps instead of unix times
  -t TIME_FORMAT, --time-format=TIME_FORMAT
                        Time format to use with --pretty; see time.strftime()
  --drop=DROP           Specify 'nulls' to drop all null values. Specify
                        'zeroes' to drop all zero values. Specify 'empty' to
                        drop both null and zero values
`,
};
