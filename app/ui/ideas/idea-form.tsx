import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { IdeaStatus } from "~/domain/ideas";
import { IDEA_BODY_MAX, IDEA_TITLE_MAX } from "~/domain/ideas";
import { ErrorText, SelectField, TextAreaField, TextField } from "~/ui/form";
import type { FieldErrors } from "~/utils/validation";
import { IdeaStatusBadge } from "./idea-cells";

export interface SimilarIdea {
  id: string;
  title: string;
  status: IdeaStatus;
}

export function SimilarIdeas({ ideas }: { ideas: readonly SimilarIdea[] }) {
  const { t } = useTranslation("ideas");
  if (ideas.length === 0) return null;
  return (
    <div className="alert" role="status" data-testid="similar-ideas">
      <p>{t("new.similar_found")}</p>
      <ul>
        {ideas.map((i) => (
          <li key={i.id}>
            <Link to={`/ideas/${i.id}`}><bdi dir="auto">{i.title}</bdi></Link> <IdeaStatusBadge status={i.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The title with duplicate suggestions while typing (a fetch of /ideas/similar a moment after the
 * last key); without JavaScript the form's "check for similar" button asks the server the same.
 */
export function TitleWithSuggestions({ defaultValue, errors, checked }: { defaultValue?: string; errors?: FieldErrors; checked: readonly SimilarIdea[] | null }) {
  const { t } = useTranslation("ideas");
  const fetcher = useFetcher<{ ideas: SimilarIdea[] }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [typed, setTyped] = useState(false);
  useEffect(() => () => clearTimeout(timer.current), []);
  const suggestions = typed ? (fetcher.data?.ideas ?? []) : (checked ?? []);
  return (
    <>
      <TextField
        name="title"
        label={t("title")}
        required
        maxLength={IDEA_TITLE_MAX}
        defaultValue={defaultValue}
        errors={errors}
        autoComplete="off"
        onChange={(e) => {
          const title = e.currentTarget.value;
          setTyped(true);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => fetcher.load(`/ideas/similar?${new URLSearchParams({ title })}`), 300);
        }}
      />
      <SimilarIdeas ideas={suggestions} />
      {checked && checked.length === 0 && !typed ? <p className="hint" role="status">{t("new.similar_none")}</p> : null}
      <button type="submit" name="intent" value="check" className="secondary">{t("new.check_similar")}</button>
    </>
  );
}

export function IdeaFields({ values, errors, categories, products }: { values: Record<string, string>; errors?: FieldErrors; categories: { id: string; name_fa: string; name_en: string }[]; products: { id: string; sku: string; name_fa: string; name_en: string }[] }) {
  const { t, i18n } = useTranslation("ideas");
  const fa = i18n.language === "fa";
  return (
    <>
      <TextAreaField name="body" label={t("body")} required maxLength={IDEA_BODY_MAX} rows={4} defaultValue={values.body} errors={errors} />
      <SelectField
        name="categoryId"
        label={t("category")}
        required
        defaultValue={values.categoryId}
        errors={errors}
        options={[{ value: "", label: t("new.choose") }, ...categories.map((c) => ({ value: c.id, label: fa ? c.name_fa : c.name_en }))]}
      />
      <SelectField
        name="productId"
        label={t("product")}
        defaultValue={values.productId}
        errors={errors}
        options={[{ value: "", label: t("new.no_product") }, ...products.map((p) => ({ value: p.id, label: `${fa ? p.name_fa : p.name_en} (${p.sku})` }))]}
      />
    </>
  );
}

/** The poster's visible customers, searched by the customer list's own search, ticked to link them. */
export function CustomerPicker({ q, customers, chosen, errors }: { q: string | null; customers: { id: string; name: string; city: string }[]; chosen: readonly string[]; errors?: FieldErrors }) {
  const { t } = useTranslation("ideas");
  return (
    <fieldset className="stack" aria-describedby={errors?.customerId ? "e-customerId" : undefined}>
      <legend>{t("new.customers")}</legend>
      <p className="hint">{t("new.customers_hint")}</p>
      {q === null ? null : (
        <>
          <TextField name="q" label={t("new.customer_search")} defaultValue={q} />
          <button type="submit" name="intent" value="search" className="secondary">{t("new.search")}</button>
        </>
      )}
      {customers.length === 0 ? <p className="muted">{t("new.no_customers")}</p> : null}
      <ul className="checks">
        {customers.map((c) => (
          <li key={c.id}>
            <label className="check">
              <input type="checkbox" name="customerId" value={c.id} defaultChecked={chosen.includes(c.id)} />
              <bdi dir="auto">{c.name}</bdi>
              {c.city ? <span className="muted"> ({c.city})</span> : null}
            </label>
          </li>
        ))}
      </ul>
      <ErrorText id="e-customerId" error={errors?.customerId} />
    </fieldset>
  );
}
