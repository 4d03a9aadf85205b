import { createReadStream } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { env, type Env } from "./env.server";

/**
 * Where files live (logos, product images, toolkit assets, renders, import uploads). Local disk by
 * default; an S3-compatible object store when STORAGE=s3, so that several app instances see the
 * same files. A missing key is null (get, stream, stat) or nothing to do (delete), on both.
 */
export interface FileStorage {
  put(key: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** The file as a stream, for answering a download without holding it in memory. */
  stream(key: string): Promise<ReadableStream<Uint8Array> | null>;
  /** Size, and the content type where the store keeps one (S3). */
  stat(key: string): Promise<{ size: number; contentType?: string } | null>;
  delete(key: string): Promise<void>;
  /** Throws when the store cannot be reached (the readiness check). */
  check(): Promise<void>;
}

const SAFE_KEY = /^[a-z0-9/_-]+(\.[a-z0-9]+)?$/i;

function assertSafe(key: string): string {
  if (!SAFE_KEY.test(key) || key.includes("..")) throw new Error(`Unsafe storage key: ${key}`);
  return key;
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === "ENOENT";

export function localStorage(root = env().UPLOAD_DIR): FileStorage {
  const resolve = (key: string) => path.resolve(root, assertSafe(key));
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
        if (isMissing(e)) return null;
        throw e;
      }
    },
    async stream(key) {
      const file = resolve(key);
      if (!(await this.stat(key))) return null;
      return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    },
    async stat(key) {
      try {
        const s = await stat(resolve(key));
        return s.isFile() ? { size: s.size } : null;
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },
    async delete(key) {
      await rm(resolve(key), { force: true });
    },
    async check() {
      await mkdir(root, { recursive: true });
    },
  };
}

export type S3Settings = Pick<Env, "S3_BUCKET" | "S3_REGION" | "S3_ENDPOINT" | "S3_ACCESS_KEY_ID" | "S3_SECRET_ACCESS_KEY" | "S3_FORCE_PATH_STYLE" | "S3_PREFIX">;

/** S3 answers a missing object with 404: NoSuchKey on GET, NotFound on HEAD (no body to say more). A missing bucket is an error. */
const notFound = (e: unknown) => e instanceof S3ServiceException && (e.name === "NoSuchKey" || (e.name === "NotFound" && e.$metadata.httpStatusCode === 404));

/**
 * Any S3-compatible store (AWS, MinIO, Ceph, R2 …) through the AWS SDK. Credentials come from
 * S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY, or the SDK's usual chain (instance role, AWS_* variables)
 * when those are unset. Checksums only where the operation requires them: stores other than AWS
 * do not all take the SDK's newer default trailers.
 */
export function s3Storage(s: S3Settings): FileStorage {
  if (!s.S3_BUCKET) throw new Error("S3_BUCKET is required for STORAGE=s3");
  const client = new S3Client({
    region: s.S3_REGION,
    endpoint: s.S3_ENDPOINT,
    forcePathStyle: s.S3_FORCE_PATH_STYLE === "true",
    credentials: s.S3_ACCESS_KEY_ID && s.S3_SECRET_ACCESS_KEY ? { accessKeyId: s.S3_ACCESS_KEY_ID, secretAccessKey: s.S3_SECRET_ACCESS_KEY } : undefined,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = s.S3_BUCKET;
  const Key = (key: string) => `${s.S3_PREFIX}${assertSafe(key)}`;
  async function body(key: string) {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: Key(key) }));
      return out.Body ?? null;
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }
  return {
    async put(key, bytes, contentType = "application/octet-stream") {
      await client.send(new PutObjectCommand({ Bucket, Key: Key(key), Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }));
    },
    async get(key) {
      const b = await body(key);
      if (!b) return null;
      const bytes = await b.transformToByteArray();
      return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    },
    async stream(key) {
      const b = await body(key);
      return b ? b.transformToWebStream() : null;
    },
    async stat(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: Key(key) }));
        return { size: head.ContentLength ?? 0, contentType: head.ContentType };
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: Key(key) }));
    },
    async check() {
      // The bucket exists and these credentials may use it.
      await client.send(new HeadBucketCommand({ Bucket }));
    },
  };
}

let configured: FileStorage | undefined;

/** The store the configuration names (STORAGE: disk, the default, or s3); one client per process. */
export function storage(): FileStorage {
  configured ??= env().STORAGE === "s3" ? s3Storage(env()) : localStorage();
  return configured;
}
