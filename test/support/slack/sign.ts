// Slack's request signing lives with the Slack simulator, which signs what it sends the same way.
export {
  slackSignature,
  signRequest,
  slashCommandBody,
  interactionBody,
  type SignedRequest,
} from '@atlas-backups/slack-sim';
