// Who is logged in, and which parts of the API this server offers (trades, transfers and profile
// requests arrive later than the gallery; the UI shows them once /api/openapi.json lists them).

export const session = {
  me: null,
  features: { trades: false, transfers: false, history: false, profiles: false },
};

export function isMe(userId) {
  return session.me !== null && Number(userId) === Number(session.me.id);
}

export function readFeatures(doc) {
  const paths = Object.keys(doc?.paths || {});
  session.features = {
    trades: paths.some((p) => p.startsWith("/api/trades")),
    transfers: paths.some((p) => p.startsWith("/api/transfers")),
    history: paths.some((p) => p.endsWith("/history")),
    profiles: paths.some((p) => p.startsWith("/api/profile-requests")),
  };
}
