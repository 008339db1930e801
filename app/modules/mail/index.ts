export { enqueueMail, findMailMessage, listMailbox } from "./outbox.server";
export { deliverDueMail, retryDelaySeconds, startMailDelivery, MAX_ATTEMPTS, type MailTransport } from "./delivery.server";
export * from "./templates";
