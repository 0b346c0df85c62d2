import { AppError } from '../../../platform/errors.js';
import { loadSettings, type RecorderDeps } from '../deps.js';
import { utcDate } from '../files.js';
import { openPrefix, openStreamLines } from './stream-files.js';

/** A market's stream as recorded so far: where its parts are, and their lines in order. */
export interface RecordedLines {
  where: string;
  lines: string[];
}

/**
 * The lines of a market the recorder is still recording, its parts joined as its file will
 * hold them. RECORDER.NO_OPEN_STREAM when it has none: never recorded, or already filed (the
 * message then names the file, which the market endpoints read).
 */
export async function recordedLines(deps: RecorderDeps, marketId: string): Promise<RecordedLines> {
  const { bucket, basePath } = await loadSettings(deps);
  const lines = await openStreamLines({ store: deps.objectStore, bucket, basePath }, marketId);
  if (lines.length > 0) return { where: `${bucket}/${openPrefix(basePath, marketId)}`, lines };
  const state = await deps.state.read();
  const markets = await deps.state.readMarkets(state?.date ?? utcDate(deps.now()));
  const filed = markets.find((market) => market.marketId === marketId)?.streamFile;
  const message =
    filed === undefined
      ? `Market ${marketId} has no recorded lines: the recorder has not written it today`
      : `Market ${marketId} is filed as ${bucket}/${filed}: read it with ` +
        `GET /api/markets/${marketId}/timeline?bucket=${bucket}&object=${filed}`;
  throw new AppError('RECORDER.NO_OPEN_STREAM', 'not_found', message);
}
