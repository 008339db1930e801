export { audit, auditRowFrom, type AuditEntry } from "./audit.server";
export { auditLogCsv, AUDIT_PAGE_SIZE, listAuditAgents, listAuditEntries, type AuditRow } from "./audit-log.server";
export * from "./audit-filters";
