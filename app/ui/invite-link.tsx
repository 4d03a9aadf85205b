import { useTranslation } from "react-i18next";

/** The one-time link is shown once, to be passed on to the invitee; only its hash is stored. */
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
