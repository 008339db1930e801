// What other contexts and routes may use from inbound-mail: the one pipeline every received email goes through.
export { receiveEmail, reprocessInboundEmail, type InboundVia, type ReceiveResult } from "./pipeline.server";
export { findInboundEmailForTicket } from "./original.server";
export { replyAsRecipient } from "./dev-mailbox.server";
export * from "./classify";
export * from "./reply-text";
export { imapSettingsFrom, describeImapSettings, type ImapSettings, type ImapSettingsResult } from "./imap-settings";
export { createImapPoller, startImapPolling, IMAP_POLL_LOCK, type ImapPoller, type PollOutcome, type PollReport } from "./imap-poller.server";
export { accessTokenSource, TokenExchangeError, type AccessTokenSource } from "./oauth2-token.server";
