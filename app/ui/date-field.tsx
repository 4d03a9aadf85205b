import { useEffect, useRef, useState, type InputHTMLAttributes } from "react";
import { DayPicker } from "react-day-picker";
import { DayPicker as PersianDayPicker } from "react-day-picker/persian";
import "react-day-picker/style.css";
import { toGregorian, toJalaali } from "jalaali-js";
import { useTranslation } from "react-i18next";
import { formatDigits, type Locale } from "~/domain/format";
import { toAsciiDigits } from "~/domain/text";
import { FieldFrame, inputProps, type FieldProps } from "./form";
import { useLocale } from "./format";

const pad = (n: number) => String(n).padStart(2, "0");

/** A picked day (the browser's local calendar day) as the field is typed: 1404/09/10 for fa, 2025-12-01 for en. */
export function dayText(day: Date, locale: Locale): string {
  const [gy, gm, gd] = [day.getFullYear(), day.getMonth() + 1, day.getDate()];
  if (locale === "en") return `${gy}-${pad(gm)}-${pad(gd)}`;
  const { jy, jm, jd } = toJalaali(gy, gm, gd);
  return formatDigits(`${jy}/${pad(jm)}/${pad(jd)}`, locale);
}

/** What the field holds, as a local day for the calendar to open on; nothing when it is not a whole date yet. */
export function textDay(text: string, locale: Locale): Date | undefined {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(toAsciiDigits(text.trim()));
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (locale === "en") return new Date(y, mo - 1, d);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const { gy, gm, gd } = toGregorian(y, mo, d);
  return new Date(gy, gm - 1, gd);
}

/**
 * The one date input: typed freely (any digit set; Persian digits shown on Persian pages) or picked
 * from a calendar, Solar Hijri on Persian pages and Gregorian on English ones. The server still
 * parses and judges what arrives (strict Jalali for fa), so without JavaScript it is a plain field.
 */
export function DateField({ name, label, errors, hint, idPrefix, required, defaultValue, ...rest }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "defaultValue"> & { defaultValue?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<Date | undefined>();
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  const props = inputProps(name, errors, idPrefix, required);
  const popupId = `${props.id}-calendar`;
  const calendar = {
    mode: "single" as const,
    selected,
    defaultMonth: selected,
    onSelect: (day: Date | undefined) => {
      if (!day || !input.current) return;
      input.current.value = dayText(day, locale);
      setOpen(false);
      input.current.focus();
    },
  };
  const toggle = () => {
    if (!open) setSelected(textDay(input.current?.value ?? "", locale));
    setOpen(!open);
  };
  return (
    <FieldFrame name={name} label={label} errors={errors} hint={hint} idPrefix={idPrefix}>
      <span className="date-field">
        <input
          {...props}
          ref={input}
          type="text"
          dir="ltr"
          inputMode="numeric"
          autoComplete="off"
          size={10}
          placeholder={t("date.format")}
          defaultValue={defaultValue ? formatDigits(defaultValue, locale) : ""}
          // Persian pages show Persian digits whichever digits the keyboard types.
          onInput={locale === "fa" ? (e) => (e.currentTarget.value = formatDigits(e.currentTarget.value, locale)) : undefined}
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
          {...rest}
        />
        {scripted ? (
          <button type="button" className="secondary date-toggle" aria-expanded={open} aria-controls={popupId} onClick={toggle}>
            {t("date.pick")}
          </button>
        ) : null}
        {open ? (
          <div className="date-popup" id={popupId} role="dialog" aria-label={t("date.pick")} onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
            {locale === "fa" ? <PersianDayPicker {...calendar} /> : <DayPicker {...calendar} />}
          </div>
        ) : null}
      </span>
    </FieldFrame>
  );
}
