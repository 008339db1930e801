// What other contexts and routes may use from inbound-mail: the one pipeline every received email goes through.
export { receiveEmail, reprocessInboundEmail, type InboundVia, type ReceiveResult } from "./pipeline.server";
export { findInboundEmailForTicket } from "./original.server";
export { replyAsRecipient } from "./dev-mailbox.server";
export * from "./classify";
export * from "./reply-text";
