// Lets tsx load route modules outside Vite: a stylesheet import becomes an empty module.
import { register } from "node:module";
register(new URL("./css-hooks.mjs", import.meta.url));
