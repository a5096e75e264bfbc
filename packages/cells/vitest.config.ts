import { unrollTestConfig } from '../../vitest.shared.ts';

export default unrollTestConfig();
