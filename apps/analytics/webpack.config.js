const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/analytics'),
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
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
      // The dashboard's page and uPlot, served from dist/apps/analytics/dashboard (src/dashboard/dashboard-assets.ts).
      assets: [
        { input: './src/dashboard/public', glob: '**/*', output: 'dashboard' },
        { input: '../../node_modules/uplot/dist', glob: '{uPlot.iife.min.js,uPlot.min.css}', output: 'dashboard' },
      ],
    }),
  ],
};
