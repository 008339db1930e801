export { enqueueMail, findMailMessage, listMailbox, notifyMailQueued, outboxRowFrom } from "./outbox.server";
export { deliverDueMail, retryDelaySeconds, startMailDelivery, MAX_ATTEMPTS, type MailTransport } from "./delivery.server";
export * from "./templates";
