export { audit, auditRowFrom, type AuditEntry } from "./audit.server";
