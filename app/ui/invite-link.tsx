import { useTranslation } from "react-i18next";

/** The one-time link is shown once, for the inviter to pass on should the invitation e-mail not arrive; only its hash is stored. */
export function InviteLink({ link }: { link: string }) {
  const { t } = useTranslation("users");
  return (
    <div className="alert ok" role="status">
      <p>{t("invite_created")}</p>
      <div className="copy" dir="ltr" data-testid="invite-link">
        {link}
      </div>
    </div>
  );
}
