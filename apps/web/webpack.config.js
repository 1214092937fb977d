const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/web'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      // The browser client has no build step: dist/apps/web/public is served as it is,
      // with the Socket.IO browser client next to it (no node_modules lookups at run time).
      assets: [
        { input: './src/public', glob: '**/*', output: 'public' },
        { input: 'node_modules/socket.io-client/dist', glob: 'socket.io.min.js?(.map)', output: 'public/vendor' },
      ],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
  ],
};
