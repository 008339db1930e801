// What routes may use from profile: the learner's own account page (/my/profile). It composes
// auth (name, password, sessions, closing), accounts (addresses, awards), tickets and kb.
export { deleteMyAccount, exportMyData, type DeleteAccountResult, type MyData } from "./my-data.server";
export * from "./profile";
export * from "./schemas";
