import path from 'node:path';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import type { SecretStore } from '../../platform/ports/secret-store.js';

const SecretsFileSchema = z.record(z.string(), z.string());

/**
 * Secrets in `<dataDir>/secrets/recorder.json`, readable by the owner only (0600). It sits
 * beside the bucket folders, never inside one, so no object listing or copy can expose it.
 */
export class LocalSecretStore implements SecretStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'secrets', 'recorder.json');
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.#readAll())[name];
  }

  async set(name: string, value: string): Promise<void> {
    const secrets = { ...(await this.#readAll()), [name]: value };
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(secrets), { mode: 0o600 });
    // The mode given to writeFile is masked by the umask; set it outright.
    await chmod(temp, 0o600);
    await rename(temp, this.file);
  }

  async #readAll(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = SecretsFileSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    throw new AppError('SECRETS.CORRUPT', 'internal', `${this.file} is not a secrets file`);
  }
}
