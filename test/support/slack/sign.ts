// Slack's request signing lives with the Slack simulator, which signs what it sends the same way.
export * from '@atlas-backups/slack-sim/signing';
