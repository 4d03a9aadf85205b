import { createCookie, redirect } from "@remix-run/node";
import { CHALLENGE_MINUTES, findChallenge, needsSecondStep, openChallenge } from "~/models/sign-in-challenges.server";
import { cookieSecure, env } from "./env.server";

export const SECOND_STEP_PATH = "/login/two-factor";

/** Holds only a random token for the pending sign-in (no session yet); signed, httpOnly, five minutes. */
function pendingCookie() {
  return createCookie("__pending_sign_in", {
    httpOnly: true,
    sameSite: "lax",
    path: "/login",
    secure: cookieSecure(),
    secrets: [env().SESSION_SECRET],
    maxAge: CHALLENGE_MINUTES * 60,
  });
}

/** After a correct password: the redirect to the second step when the user needs one, or null to start the session now. */
export async function secondStepRedirect(userId: string, redirectTo: string): Promise<Response | null> {
  if (!(await needsSecondStep(userId))) return null;
  const token = await openChallenge(userId, redirectTo);
  return redirect(SECOND_STEP_PATH, { headers: { "Set-Cookie": await pendingCookie().serialize(token) } });
}

/** The pending sign-in this browser holds, or null (none, forged, expired or out of attempts). */
export async function readChallenge(request: Request) {
  const token = await pendingCookie().parse(request.headers.get("Cookie"));
  return typeof token === "string" && token.length > 20 ? findChallenge(token) : null;
}

export const clearPendingCookie = () => pendingCookie().serialize("", { maxAge: 0 });
