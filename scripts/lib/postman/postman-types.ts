/** The parts of Postman collection v2.1 the generator writes. */

export interface PostmanHeader {
  key: string;
  value: string;
}
export interface PostmanUrl {
  raw: string;
  host: string[];
  path: string[];
  query?: PostmanHeader[];
}
export interface PostmanRequest {
  method: string;
  header: PostmanHeader[];
  body?: { mode: 'raw'; raw: string; options: { raw: { language: 'json' } } };
  url: PostmanUrl;
  description: string;
}
export interface PostmanItem {
  name: string;
  event: { listen: 'test'; script: { type: 'text/javascript'; exec: string[] } }[];
  request: PostmanRequest;
}
export interface PostmanCollection {
  info: { name: string; description: string; schema: string };
  item: PostmanItem[];
  variable: PostmanHeader[];
}
