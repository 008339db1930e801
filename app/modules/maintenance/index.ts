export { retentionSettings, runRetention, startMaintenance, RETENTION_LOCK, type RetentionReport, type RetentionSettings } from "./retention.server";
