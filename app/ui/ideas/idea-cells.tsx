import { useTranslation } from "react-i18next";
import type { IdeaStatus } from "~/domain/ideas";

const TONE: Record<IdeaStatus, string> = { new: "", under_review: "", planned: "ok", shipped: "ok", declined: "warn" };

export function IdeaStatusBadge({ status }: { status: IdeaStatus }) {
  const { t } = useTranslation("ideas");
  return <span className={`badge ${TONE[status]}`.trim()}>{t(`statuses.${status}`)}</span>;
}
