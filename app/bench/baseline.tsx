// The HTTP benchmark's baseline page: a bare Remix page answering one primary-key lookup through the
// app's pool, in the same server as the pages it is compared with. Routed only in the benchmark's
// build (vite.config.ts, BENCH_BUILD=1), never in the normal one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { db } from "~/utils/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const id = new URL(request.url).searchParams.get("id") ?? "";
  const row = await db().selectFrom("customers").select(["id", "display_name"]).where("id", "=", id).executeTakeFirst();
  if (!row) throw new Response("Not found", { status: 404 });
  return { name: row.display_name };
}

export default function BenchBaseline() {
  const { name } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>{name}</h1>
    </main>
  );
}
