import type { LoaderFunctionArgs } from "@remix-run/node";
import { orderPdfResponse } from "~/models/orders/proforma.server";

/** The order's packing slip (without prices when the order asked for that) PDF in the reader's language; visible exactly where the order page is. */
export const loader = ({ request, params }: LoaderFunctionArgs) => orderPdfResponse(request, params.id!, "slip");
