import type { LoaderFunctionArgs } from "@remix-run/node";
import { orderPdfResponse } from "~/models/orders/proforma.server";

/** The order's proforma PDF in the reader's language; visible exactly where the order page is. */
export const loader = ({ request, params }: LoaderFunctionArgs) => orderPdfResponse(request, params.id!, "proforma");
