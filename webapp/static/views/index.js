// Every screen, imported once so each registers itself with the router, and the hooks boot uses
// for the parts that depend on what the server offers (trades, transfers).

import "./lists.js";
import "./object.js";
import "./upload.js";
import { session } from "../session.js";

export const extensions = {
  // (param) => Promise<boolean>: true when the start param was theirs and is now open
  startParams: [],
  starters: [],
  hasInbox: () => session.features.trades || session.features.transfers,
  start() {
    for (const starter of this.starters) starter();
  },
};
