// Every screen, imported once so each registers itself with the router.

import "./lists.js";
import "./object.js";
import "./share.js";
import "./upload.js";
import "./transfers.js";
import "./trades.js";
import "./inbox.js";
import "./profile.js";
import "./settings.js";
import "./account.js";
import "./notifications.js";
import "./report.js";
import "./moderation.js";
