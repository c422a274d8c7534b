-- Presentation of the book's marked blocks for Typst and DOCX.
-- Only structure produced by our own templates is turned into raw output here;
-- text from content reaches pandoc escaped, so it can never become raw markup.
-- pandoc's name for a Word bookmark: ids longer than Word's 40 characters are hashed.
local function bookmark(id)
  if #id > 40 then return "X" .. pandoc.utils.sha1(id):sub(2) end
  return id
end

local boxes = { beperking = "beperking", openpunten = "openpunten" }

function Div(el)
  for cls, fn in pairs(boxes) do
    if el.classes:includes(cls) and FORMAT:match("typst") then
      local out = { pandoc.RawBlock("typst", "#" .. fn .. "[") }
      for _, b in ipairs(el.content) do table.insert(out, b) end
      table.insert(out, pandoc.RawBlock("typst", "]"))
      return out
    end
    if el.classes:includes(cls) and FORMAT:match("docx") then
      -- Word shades paragraphs, not lists: list items become paragraphs of the box's style,
      -- so the shading covers the whole block.
      local content = {}
      for _, b in ipairs(el.content) do
        if b.t == "BulletList" then
          for _, item in ipairs(b.content) do
            local inlines = { pandoc.Str("•"), pandoc.Space() }
            for _, ib in ipairs(item) do
              if ib.t == "Plain" or ib.t == "Para" then
                for _, i in ipairs(ib.content) do table.insert(inlines, i) end
              end
            end
            table.insert(content, pandoc.Para(inlines))
          end
        else
          table.insert(content, b)
        end
      end
      el.content = content
      return el
    end
  end
end

-- DOCX: a cover like the PDF's and a Dutch table of contents that lists its entries
-- before Word or LibreOffice updates the field (page numbers are PAGEREF fields).
local function xml(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function styled(style, text)
  return pandoc.Div({ pandoc.Para({ pandoc.Str(text) }) }, { ["custom-style"] = style })
end

local function pageref(id)
  return '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    .. '<w:r><w:instrText xml:space="preserve"> PAGEREF ' .. bookmark(id) .. ' \\h </w:instrText></w:r>'
    .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
end

local function toc(blocks)
  -- Plain paragraphs with PAGEREF fields rather than a TOC field: Word (updateFields) and
  -- LibreOffice both fill in the page numbers, and the entries are there before any update.
  local parts = { '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>Inhoud</w:t></w:r></w:p>' }
  for _, b in ipairs(blocks) do
    if b.t == "Header" and b.level <= 2 and not b.classes:includes("unlisted") and b.identifier ~= "" then
      table.insert(parts, '<w:p><w:pPr><w:pStyle w:val="TOC' .. b.level .. '"/></w:pPr>'
        .. '<w:hyperlink w:anchor="' .. bookmark(b.identifier) .. '" w:history="1"><w:r><w:t xml:space="preserve">'
        .. xml(pandoc.utils.stringify(b.content)) .. '</w:t></w:r></w:hyperlink>' .. pageref(b.identifier) .. '</w:p>')
    end
  end
  return pandoc.RawBlock("openxml", table.concat(parts))
end

function Pandoc(doc)
  if not FORMAT:match("docx") then return nil end
  local m = doc.meta
  local function get(key) return m[key] and pandoc.utils.stringify(m[key]) or "" end
  local cover = { styled("Title", get("title")), styled("Subtitle", get("regio")) }
  if get("subtitle") ~= "" then table.insert(cover, styled("BodyText", get("subtitle"))) end
  local rows = {}
  for _, kv in ipairs({ { "Organisatie", "organisation" }, { "Contractjaar", "contractyear" },
                        { "Brondocument", "published" }, { "Versie", "version" } }) do
    if get(kv[2]) ~= "" then
      table.insert(rows, { { pandoc.Plain({ pandoc.Str(kv[1]) }) }, { pandoc.Plain({ pandoc.Str(get(kv[2])) }) } })
    end
  end
  if #rows > 0 then
    table.insert(cover, pandoc.utils.from_simple_table(pandoc.SimpleTable({}, { "AlignLeft", "AlignLeft" }, { 0.3, 0.7 }, {}, rows)))
  end
  table.insert(cover, styled("BodyText", "Bedragen zijn maximumtarieven tenzij anders vermeld."))
  table.insert(cover, pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'))
  table.insert(cover, toc(doc.blocks))
  for _, b in ipairs(doc.blocks) do table.insert(cover, b) end
  doc.blocks = cover
  -- the cover replaces pandoc's title block; the title goes into the document properties afterwards
  m.title, m.subtitle = nil, nil
  doc.meta = m
  return doc
end

-- The page a label is on: typst counts it, Word/LibreOffice compute a PAGEREF field.
local function page_of(target)
  if not target:match("^[%w%-]+$") then return {} end
  if FORMAT:match("typst") then
    return { pandoc.RawInline("typst", '#context numbering("1", ..counter(page).at(<' .. target .. '>))') }
  elseif FORMAT:match("docx") then
    return { pandoc.RawInline("openxml", '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
      .. '<w:r><w:instrText xml:space="preserve"> PAGEREF ' .. bookmark(target) .. ' \\h </w:instrText></w:r>'
      .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r>'
      .. '<w:r><w:fldChar w:fldCharType="end"/></w:r>') }
  end
  return {}
end

function Span(el)
  if el.classes:includes("paginanummer") then
    return page_of(el.attributes["doel"] or "")
  end
  if el.classes:includes("openpunt") then
    if FORMAT:match("typst") then
      local out = { pandoc.RawInline("typst", "#openpunt[") }
      for _, i in ipairs(el.content) do table.insert(out, i) end
      table.insert(out, pandoc.RawInline("typst", "]"))
      return out
    end
    return pandoc.Strong(el.content)
  end
end

function Header(el)
  if el.level == 2 and (el.classes:includes("product")) then
    if FORMAT:match("typst") then
      return { pandoc.RawBlock("typst", "#pagebreak(weak: true)"), el }
    elseif FORMAT:match("docx") then
      return { pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'), el }
    end
  end
  if el.level == 1 and FORMAT:match("docx") then
    return { pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'), el }
  end
end
