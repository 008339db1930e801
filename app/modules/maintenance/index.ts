export { maintenanceSchedule, retentionSettings, runRetention, startMaintenance, RETENTION_LOCK, type MaintenanceSchedule, type RetentionReport, type RetentionSettings } from "./retention.server";
