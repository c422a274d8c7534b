-- Safety net for the book (PDF via Typst, DOCX), run before filter.lua. `check` already
-- rejects these (productenboek/chaptercheck.py); this filter makes sure that even so:
--  * a link goes only to http, https, mailto or a relative address; any other link keeps
--    its text and loses its target (no javascript: in the DOCX);
--  * an image comes only from the region's afbeeldingen/ folder (metadata
--    productenboek-afbeeldingen, removed again here). For Typst the path is made
--    absolute within the Typst root (the region folder); for DOCX the file is put in
--    pandoc's media bag, because pandoc itself runs with --sandbox and reads no files.
--    Any other image becomes its description.
local dir = nil
local allowed = { http = true, https = true, mailto = true }

local function scheme(url)
  local s = url:gsub("[%c%s]", ""):lower()
  return s:match("^([a-z][a-z0-9+.%-]*):")
end

local function read_meta(meta)
  local d = meta["productenboek-afbeeldingen"]
  if d then
    dir = pandoc.utils.stringify(d)
    meta["productenboek-afbeeldingen"] = nil
    return meta
  end
end

-- Text inside a Typst string literal: backslash and quote escaped, no line breaks.
local function typst_string(s)
  return (s:gsub("[\r\n]", " "):gsub("\\", "\\\\"):gsub('"', '\\"'))
end

local mime = { png = "image/png", jpg = "image/jpeg", jpeg = "image/jpeg", gif = "image/gif" }

local function image(el)
  local name = el.src:match("^afbeeldingen/([%w][%w._-]*)$")
  local ext = name and name:match("%.(%w+)$")
  if name and ext and mime[ext:lower()] and dir and not name:find("%.%.") then
    local f = io.open(dir .. "/" .. name, "rb")
    if f then
      local data = f:read("a")
      f:close()
      -- Every image has a text alternative (WCAG 1.1.1, PDF/UA-1 requires it): its
      -- description, else the file name. pandoc's Typst writer gives none, so write it here.
      local alt = pandoc.utils.stringify(el.caption)
      if alt == "" then
        alt = "Afbeelding " .. name
        el.caption = { pandoc.Str(alt) }
      end
      if FORMAT:match("typst") then
        return pandoc.RawInline("typst", '#box(image("/afbeeldingen/' .. name .. '", alt: "' .. typst_string(alt) .. '"))')
      else
        pandoc.mediabag.insert("afbeeldingen/" .. name, mime[ext:lower()], data)
      end
      return el
    end
  end
  return pandoc.Span(el.caption)
end

local function link(el)
  local s = scheme(el.target)
  if s and not allowed[s] then
    return pandoc.Span(el.content)
  end
end

return { { Meta = read_meta }, { Image = image, Link = link } }
