// What other contexts and routes may use from attachments.
export { attachFiles, attachmentResponse, filesAudited, attachmentLimits, attachmentsOfMessages, readAttachment, type AttachmentSummary, type IncomingFile } from "./attachments.server";
export { blobStore, countBlobs, postgresBlobStore, type BlobStore } from "./storage.server";
export * from "./file-types";
