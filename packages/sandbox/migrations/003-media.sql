-- The MediaUrls of a message, as a JSON array of { "sid": "ME…", "url", "contentType" } (NULL
-- without media), listed as Media resources. The sandbox never fetches the URLs.
ALTER TABLE messages ADD COLUMN media TEXT;
