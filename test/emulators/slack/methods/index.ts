/** Every Web API method the emulator serves, by name. */
import type { MethodDef } from '../context';
import { authMethods } from './auth';
import { chatMethods } from './chat';
import { conversationsMethods } from './conversations';
import { oauthMethods } from './oauth';
import { reactionsMethods } from './reactions';
import { usersMethods } from './users';
import { viewsMethods } from './views';

export const allMethods: Record<string, MethodDef> = {
	...authMethods, ...chatMethods, ...conversationsMethods, ...usersMethods, ...viewsMethods, ...reactionsMethods, ...oauthMethods,
};
