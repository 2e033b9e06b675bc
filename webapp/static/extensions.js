// Hooks for the parts that depend on what the server offers (trades, transfers): their modules
// register here, and boot calls them once it knows who is logged in.

import { session } from "./session.js";

export const extensions = {
  // (param) => Promise<boolean>: true when the start param was theirs and is now open
  startParams: [],
  starters: [],
  // () => Node | null: entries under my card on the Mine tab (the operators' screen)
  meActions: [],
  hasInbox: () => session.features.trades || session.features.transfers || session.features.profiles,
  start() {
    for (const starter of this.starters) starter();
  },
};
