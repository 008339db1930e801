export { enqueueMail, findMailMessage, listMailbox, notifyMailQueued } from "./outbox.server";
export { deliverDueMail, retryDelaySeconds, startMailDelivery, MAX_ATTEMPTS, type MailTransport } from "./delivery.server";
export * from "./templates";
