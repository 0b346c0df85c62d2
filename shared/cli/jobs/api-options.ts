import { PipelineClient } from '../api/pipeline-client.js';
import { resolveApiUrl } from '../api-url.js';
import type { CommandContext } from '../command.js';
import { stringOption, type OptionValues } from '../parse-options.js';

/** `--url`, shared by every command that talks to the pipeline API. */
export const URL_OPTION = { url: { type: 'string' } } as const;

/** Usage text for `--url`. */
export const URL_USAGE = `  --url <url>       pipeline API (default: $CHIMERA_API_URL, else http://127.0.0.1:$PORT,
                    PORT defaulting to 8080 — the gateway \`npm start\` runs); a deployed
                    API needs CHIMERA_ID_TOKEN=$(gcloud auth print-identity-token)`;

/** A client for the API that `--url` or the environment names. */
export function clientFor(values: OptionValues, context: CommandContext): PipelineClient {
  return new PipelineClient(
    resolveApiUrl(stringOption(values, 'url'), context.env),
    context.env.CHIMERA_ID_TOKEN || undefined,
  );
}
