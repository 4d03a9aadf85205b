import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "./env.server";

/** Where files live. Local disk by default; an object store fits the same two methods. */
export interface FileStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
}

const SAFE_KEY = /^[a-z0-9/_-]+(\.[a-z0-9]+)?$/i;

export function localStorage(root = env().UPLOAD_DIR): FileStorage {
  const resolve = (key: string) => {
    if (!SAFE_KEY.test(key) || key.includes("..")) throw new Error(`Unsafe storage key: ${key}`);
    return path.resolve(root, key);
  };
  return {
    async put(key, bytes) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
    },
    async get(key) {
      try {
        return await readFile(resolve(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
  };
}

export const storage = (): FileStorage => localStorage();
