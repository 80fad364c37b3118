// Each test starts from empty local storage (Testing Library empties the
// document itself, vitest's globals being on).
import { afterEach } from 'vitest';

afterEach(() => {
  localStorage.clear();
});
