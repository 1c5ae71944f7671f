import { findSpecFile, specDirectory } from './contract/location.js';
import { ContractValidator, formatViolations, type ContractViolation } from './contract/validator.js';
import type { RecordedResponse } from './http/observe.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from './simulator.js';

export { ContractValidator, formatViolations, type ContractViolation } from './contract/validator.js';
export { findSpecFile, specDirectory, findRepoRoot } from './contract/location.js';

let cached: ContractValidator | null | undefined;
let skipLogged = false;

/** The contract validator, or undefined (once logged) when ../shared/atlas-openapi is missing. */
export function loadContract(): ContractValidator | undefined {
  if (cached === undefined) {
    const file = findSpecFile();
    cached = file ? new ContractValidator(file) : null;
  }
  if (cached === null && !skipLogged) {
    skipLogged = true;
    console.warn(
      `[atlas-sim] contract checks skipped: ${specDirectory() ?? '../shared/atlas-openapi'} is missing`,
    );
  }
  return cached ?? undefined;
}

export function contractAvailable(): boolean {
  return findSpecFile() !== undefined;
}

/** Checks recorded responses; the empty list means all honour the contract (or it is absent). */
export function validateResponses(responses: readonly RecordedResponse[]): ContractViolation[] {
  const contract = loadContract();
  if (!contract) return [];
  return responses.flatMap((r) => (r.offContract ? [] : (contract.violation(r) ?? [])));
}

export interface ContractCheckedSimulator extends RunningSimulator {
  /** Whether the official contract was found and responses are being checked. */
  readonly contractChecked: boolean;
  /** Violations seen so far. */
  contractViolations(): ContractViolation[];
}

/**
 * A simulator whose every response is checked against the official contract as it is sent.
 * `close()` throws listing the violations, so a test that provoked one fails. Without the
 * contract (../shared/atlas-openapi missing) it is a plain simulator and logs that once.
 */
export async function startContractCheckedSimulator(
  options: SimulatorOptions = {},
): Promise<ContractCheckedSimulator> {
  const contract = loadContract();
  const violations: ContractViolation[] = [];
  const userHook = options.onResponse;
  const sim = await startSimulator({
    ...options,
    onResponse: (response) => {
      userHook?.(response);
      // A test asked for this answer to carry values the contract does not know yet.
      if (response.offContract) return;
      const violation = contract?.violation(response);
      if (violation) violations.push(violation);
    },
  });
  const close = sim.close.bind(sim);
  return Object.assign(sim, {
    contractChecked: contract !== undefined,
    contractViolations: () => [...violations],
    async close() {
      await close();
      if (violations.length > 0) {
        throw new Error(
          `${violations.length} response(s) broke the Atlas contract:\n${formatViolations(violations)}`,
        );
      }
    },
  });
}
