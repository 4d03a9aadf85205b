import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/validation";
import { FormAlert, TextAreaField } from "./form";

export interface RequestIdentity {
  phone?: string | null;
  email?: string | null;
  displayName?: string | null;
  city?: string | null;
}

/**
 * The fields of a request to serve a customer another partner holds: the customer named again by
 * what the rep typed (and how it matched), never by an id, and the reason. Used by the registration
 * page's duplicate notice and, when a request comes back refused without JavaScript, by /serve-requests.
 */
export function RequestToServeFields({ match, identity, errors, reason }: { match: string; identity: RequestIdentity; errors?: FieldErrors; reason?: string }) {
  const { t } = useTranslation("customers");
  return (
    <>
      <FormAlert errors={errors} />
      <input type="hidden" name="match" value={match} />
      {(["phone", "email", "displayName", "city"] as const).map((name) => (
        <input key={name} type="hidden" name={name} value={identity[name] ?? ""} />
      ))}
      <TextAreaField idPrefix={match} name="reason" label={t("request_reason")} required maxLength={1000} defaultValue={reason} errors={errors} />
    </>
  );
}
