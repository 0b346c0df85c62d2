import tar from 'tar-stream';

/** A tar archive of these files (and folders, where the content is null), as Betfair ships one. */
export async function tarOf(entries: [string, Buffer | null][]): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of entries) {
    if (content === null) pack.entry({ name, type: 'directory' });
    else pack.entry({ name }, content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
