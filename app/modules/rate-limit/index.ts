export { checkRateLimit, clearRateLimit, hitRateLimit, type RateLimitResult, type RateLimitRule } from "./rate-limit.server";
