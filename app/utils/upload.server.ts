/** Multipart framing around a file: part headers and the other fields of a small form. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export type UploadResult = { ok: true; file: File; form: FormData } | { ok: false; reason: "missing" | "too_large" | "unreadable" };

/**
 * Reads the one file of a multipart form. Node's own form parser reads it: Remix's multipart parser
 * splits `filename="a=b.csv"` at the "=" and throws, which answered such uploads with a 500. That
 * parser stopped at a part-size limit while this one reads the whole body, so the body is bounded
 * first: by server.mjs for every route, and by Content-Length here.
 */
export async function readUpload(request: Request, field: string, maxBytes: number): Promise<UploadResult> {
  if (!request.headers.get("Content-Type")?.startsWith("multipart/form-data")) return { ok: false, reason: "missing" };
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes + FORM_OVERHEAD_BYTES) return { ok: false, reason: "too_large" };
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const file = form.get(field);
  if (!(file instanceof File) || file.size === 0) return { ok: false, reason: "missing" };
  if (file.size > maxBytes) return { ok: false, reason: "too_large" };
  // Only the base name: a browser may send a path, and the name is shown back to people.
  return { ok: true, file: new File([file], file.name.split(/[/\\]/).pop() ?? "", { type: file.type }), form };
}
