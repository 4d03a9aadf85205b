import { z } from "zod";
import { IDEA_ANSWER_MAX, IDEA_BODY_MAX, IDEA_CUSTOMERS_MAX, IDEA_SORTS, IDEA_STATUSES, IDEA_TITLE_MAX, type IdeaSort, type IdeaStatus } from "~/domain/ideas";
import { INTERACTION_CHANNELS } from "#db/schema";
import { choice, id, ID_PATTERN, optionalId, optionalText, parseFormData, text, type FieldErrors, type FormResult } from "~/utils/validation";

/** The customers ticked in the picker (repeated `customerId` fields). */
export function customerIdsOf(form: FormData): string[] {
  return [...new Set(form.getAll("customerId").filter((v): v is string => typeof v === "string" && v !== ""))];
}

function checkCustomerIds(ids: string[], errors: FieldErrors): string[] {
  if (ids.some((v) => !ID_PATTERN.test(v))) errors.customerId = { key: "errors.choice" };
  else if (ids.length > IDEA_CUSTOMERS_MAX) errors.customerId = { key: "ideas:errors.too_many_customers", values: { max: IDEA_CUSTOMERS_MAX } };
  return ids;
}

const ideaSchema = z.object({
  title: text(IDEA_TITLE_MAX),
  body: text(IDEA_BODY_MAX, { multiline: true }),
  categoryId: z.preprocess((v) => v ?? "", z.string().min(1, { message: "errors.required" }).regex(ID_PATTERN, { message: "errors.choice" })),
  productId: optionalId(),
});
export type IdeaInput = z.output<typeof ideaSchema> & { customerIds: string[] };

export function parseIdeaForm(form: FormData): FormResult<IdeaInput> {
  const parsed = parseFormData(ideaSchema, form);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const customerIds = checkCustomerIds(customerIdsOf(form), errors);
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, data: { ...parsed.data, customerIds } };
}

export function parseLinkForm(form: FormData): FormResult<string[]> {
  const errors: FieldErrors = {};
  const ids = checkCustomerIds(customerIdsOf(form), errors);
  if (ids.length === 0 && !errors.customerId) errors.customerId = { key: "ideas:errors.no_customer" };
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: ids };
}

const statusSchema = z.object({ status: choice(IDEA_STATUSES), answer: text(IDEA_ANSWER_MAX, { multiline: true }) });
export const parseStatusForm = (form: FormData) => parseFormData(statusSchema, form);

const mergeSchema = z.object({ targetId: id() });
export const parseMergeForm = (form: FormData) => parseFormData(mergeSchema, form);

const contactedSchema = z.object({ followUpId: id(), channel: choice(INTERACTION_CHANNELS), note: optionalText(1000, { multiline: true }) });
export const parseContactedForm = (form: FormData) => parseFormData(contactedSchema, form);

export interface BoardFilters {
  status?: IdeaStatus;
  categoryId?: string;
  sort: IdeaSort;
}

/** The board's query string; an unknown value is dropped rather than refused (it is a filter, not a form). "value" only for the brand. */
export function parseBoardFilters(params: URLSearchParams, brandView: boolean): BoardFilters {
  const status = params.get("status");
  const categoryId = params.get("category");
  const sort = params.get("sort");
  return {
    status: (IDEA_STATUSES as readonly string[]).includes(status ?? "") ? (status as IdeaStatus) : undefined,
    categoryId: categoryId && ID_PATTERN.test(categoryId) ? categoryId : undefined,
    sort: (IDEA_SORTS as readonly string[]).includes(sort ?? "") && (sort !== "value" || brandView) ? (sort as IdeaSort) : "supports",
  };
}
