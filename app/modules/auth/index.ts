// What other contexts and routes may use from auth.
export { authenticator, LoginFormInvalid } from "./authenticator.server";
export {
  checkCredentials,
  checkResetToken,
  findEmailRow,
  loadViewer,
  requestPasswordReset,
  resetPassword,
  sendVerificationLink,
  signUp,
  verificationLinkStatus,
  verifyEmailWithToken,
  VERIFICATION_RESEND_INTERVAL_MS,
  type VerificationLinkStatus,
} from "./credentials.server";
export { hashPassword, verifyPassword } from "./passwords.server";
export { grantRole, listAccountsForRoles, makeAdminByEmail, revokeRole } from "./roles.server";
export { changeName, changePassword, closeAccount, listSessions, passwordMatches, signOutOtherSessions, type ChangePasswordResult, type SessionView } from "./profile.server";
export { createLoginSession, currentSessionToken, endSession, getViewer, logout, popNotice, redirectWithNotice, requireRole, requireRoleOrNotFound, requireUser } from "./session.server";
export { issueEmailToken, randomToken, sha256 } from "./tokens.server";
export * from "./roles";
export * from "./schemas";
