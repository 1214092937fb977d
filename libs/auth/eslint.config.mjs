import baseConfig, { typedTypeScript } from '../../eslint.config.mjs';

export default [...baseConfig, typedTypeScript(import.meta.dirname)];
