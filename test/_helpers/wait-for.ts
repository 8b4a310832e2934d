/** Polls `condition` every 10 ms until it holds; fails after `limitMs` (a bound, not a timing assertion). */
export async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
