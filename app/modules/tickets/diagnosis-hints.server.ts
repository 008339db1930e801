// "Before you submit": the diagnosis of the learner's own account, in their words, beside the form.
import { getAccountDiagnosis } from "~/modules/accounts";
import { describeErrorForLog } from "~/lib/log-redaction";

/** The diagnosis summary lines for a signed-in learner; none when the diagnosis can't be made. */
export async function diagnosisSummaryFor({ accountId }: { accountId: string }): Promise<string[]> {
  try {
    const { summary } = await getAccountDiagnosis({ accountId });
    return summary;
  } catch (error) {
    // The form must work even when the diagnosis does not: it is a hint, not a gate.
    console.error("ticket form: account diagnosis failed: %s", describeErrorForLog(error));
    return [];
  }
}
