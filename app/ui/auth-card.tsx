import type { ReactNode } from "react";
import { LanguageSwitch } from "./language-switch";

/** The frame of the pages a person sees before signing in: sign-in, second step, invitation. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth">
      <div className="card">
        <div className="topbar">
          <LanguageSwitch />
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
