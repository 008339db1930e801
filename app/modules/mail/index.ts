export { enqueueMail, findMailMessage, findMailWithHeaders, jsonStrings, listMailbox, notifyMailQueued, outboxRowFrom, threadIdsColumn } from "./outbox.server";
export { deliverDueMail, retryDelaySeconds, startMailDelivery, threadingHeaders, MAX_ATTEMPTS, type MailTransport, type OutgoingMail } from "./delivery.server";
export * from "./threading";
export * from "./templates";
export { clearUndeliverable, isUndeliverable, recordBounce, undeliverableAmong, type BounceRecord } from "./bounces.server";
